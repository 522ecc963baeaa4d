-- RETAS (issue 12): a student's NIK when the school's list has it or the officer typed it on the spot, so the
-- office matches the roster against the registry and follows up those it cannot match.
ALTER TABLE retas_students ADD COLUMN nik TEXT;
