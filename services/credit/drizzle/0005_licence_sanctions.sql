CREATE TABLE "licence_sanctions" (
	"licence_id" text PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"licence_number" text NOT NULL,
	"approval_item" text NOT NULL,
	"decided_by" text NOT NULL,
	"document_number" text NOT NULL,
	"legal_basis" text NOT NULL,
	"decided_on" date NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "licence_sanctions_uscc_idx" ON "licence_sanctions" USING btree ("uscc");