CREATE TABLE "incoming_transfers" (
	"finding_id" uuid PRIMARY KEY NOT NULL,
	"home_department" text NOT NULL,
	"uscc" text NOT NULL,
	"task_id" uuid NOT NULL,
	"visit_id" uuid,
	"item_code" text,
	"description" text NOT NULL,
	"severity" text NOT NULL,
	"recorded_on" date NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"answered_on" date,
	"answered_at" timestamp with time zone,
	"answered_by" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "penalty_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"finding_id" uuid NOT NULL,
	"department" text NOT NULL,
	"kind" text NOT NULL,
	"amount_yuan" numeric(14, 2),
	"document_number" text NOT NULL,
	"legal_basis" text NOT NULL,
	"decided_on" date NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"decided_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "licence_acts" ADD COLUMN "finding_id" uuid;--> statement-breakpoint
CREATE INDEX "incoming_transfers_status_idx" ON "incoming_transfers" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "penalty_decisions_finding_idx" ON "penalty_decisions" USING btree ("finding_id");--> statement-breakpoint
CREATE UNIQUE INDEX "penalty_decisions_one_fine" ON "penalty_decisions" USING btree ("finding_id") WHERE "penalty_decisions"."kind" = 'FINE';