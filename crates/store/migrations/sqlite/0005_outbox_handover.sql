-- Messages handed over for a mail merge. A coordinator exports the outbox
-- once; the messages then count as sent, their stored copies lose the
-- personal links like any sent message, and who took them stays here.
ALTER TABLE messages ADD COLUMN handed_over_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
