-- The outbox keeps each event as the JSON text the relay sends (issue 7): no jsonb conversion on
-- the way in, no parse and serialisation on the way out. The type gets a column of its own, so
-- the relay names it in the record's header without parsing the event; rows written before
-- (published or not) take it from their event.
ALTER TABLE "outbox" ALTER COLUMN "event" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "type" text;--> statement-breakpoint
UPDATE "outbox" SET "type" = "event"::jsonb ->> 'type';--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "type" SET NOT NULL;
