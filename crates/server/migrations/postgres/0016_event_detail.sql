-- What an event of a case's history holds beyond its note, as JSON: for a correction
-- notice, each point it asked for, with the field or material's name and the message in
-- both languages, so that the timeline shows it in the reader's language. (postgres)
ALTER TABLE application_events ADD COLUMN detail TEXT;
