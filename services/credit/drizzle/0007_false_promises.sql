CREATE TABLE "false_promises" (
	"promise_id" text PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"approval_item" text NOT NULL,
	"mode" text NOT NULL,
	"breach" text NOT NULL,
	"licence_number" text,
	"found_by" text NOT NULL,
	"document_number" text,
	"legal_basis" text,
	"reason" text NOT NULL,
	"decided_on" date NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "false_promises_uscc_idx" ON "false_promises" USING btree ("uscc","decided_on");