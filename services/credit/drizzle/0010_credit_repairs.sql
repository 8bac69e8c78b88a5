CREATE TABLE "credit_repairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uscc" text NOT NULL,
	"record" text NOT NULL,
	"record_id" text NOT NULL,
	"document_number" text NOT NULL,
	"reason" text NOT NULL,
	"decided_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "credit_repairs_record_idx" ON "credit_repairs" USING btree ("record","record_id");--> statement-breakpoint
CREATE INDEX "credit_repairs_uscc_idx" ON "credit_repairs" USING btree ("uscc");