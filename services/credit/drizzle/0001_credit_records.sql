CREATE TABLE "credit_records" (
	"id" text PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"department" text NOT NULL,
	"severity" text NOT NULL,
	"handling" text NOT NULL,
	"description" text NOT NULL,
	"recorded_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "credit_records_uscc_idx" ON "credit_records" USING btree ("uscc","recorded_on");