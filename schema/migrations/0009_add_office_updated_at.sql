-- Office settings (hours, holidays) become editable by the office's admin (/api/offices); when they last changed.
ALTER TABLE offices ADD COLUMN updated_at TEXT;
