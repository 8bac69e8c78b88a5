CREATE TABLE "punishment_views" (
	"id" text PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"measures" jsonb NOT NULL,
	"document_number" text NOT NULL,
	"decided_on" date NOT NULL,
	"until" date NOT NULL,
	"lifted_on" date,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "punishment_views_uscc_idx" ON "punishment_views" USING btree ("uscc");