-- How many times an invitation's roster answers were replaced: summed over
-- a campaign, a cheap stamp that moves whenever any of its ties change
-- (counting the ties themselves took a scan of every tie).
ALTER TABLE invitations ADD COLUMN ties_version INTEGER NOT NULL DEFAULT 0;
