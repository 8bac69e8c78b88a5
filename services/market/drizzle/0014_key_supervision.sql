CREATE TABLE "key_supervision" (
	"punishment_id" uuid PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"document_number" text NOT NULL,
	"decided_on" date NOT NULL,
	"until" date NOT NULL,
	"lifted_on" date,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "key_supervision_uscc_idx" ON "key_supervision" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "key_supervision_until_idx" ON "key_supervision" USING btree ("until");