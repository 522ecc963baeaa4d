-- Notification delivery: which way a sent message left (send_email binding, WhatsApp Cloud API, dev mailbox) and the provider's message id.
ALTER TABLE notifications ADD COLUMN delivered_via TEXT CHECK (delivered_via IN ('email','whatsapp_cloud','dev_mailbox'));
ALTER TABLE notifications ADD COLUMN provider_ref TEXT;
