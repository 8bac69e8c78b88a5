ALTER TABLE "calendar_years" ALTER COLUMN "updated_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "closed_because" text;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "licence_reason" text;--> statement-breakpoint
-- A closed task's reason was stored as English prose ("licence N revoked: the bureau's words");
-- it becomes the code and the bureau's words, and the prose goes (the words are rendered when read).
UPDATE "supervision_tasks" SET
  "closed_because" = CASE WHEN "closed_reason" ~ '^licence \S+ cancelled' THEN 'LICENCE_CANCELLED' ELSE 'LICENCE_REVOKED' END,
  "licence_reason" = NULLIF(substring("closed_reason" from ': (.*)$'), '')
WHERE "status" = 'CLOSED';--> statement-breakpoint
ALTER TABLE "supervision_tasks" DROP COLUMN "closed_reason";
