CREATE TABLE "joint_punishments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uscc" text NOT NULL,
	"measures" jsonb NOT NULL,
	"document_number" text NOT NULL,
	"legal_basis" text NOT NULL,
	"reason" text NOT NULL,
	"decided_on" date NOT NULL,
	"until" date NOT NULL,
	"lifted_on" date,
	"lift_document_number" text,
	"lift_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "joint_punishments_uscc_idx" ON "joint_punishments" USING btree ("uscc","decided_on");--> statement-breakpoint
CREATE UNIQUE INDEX "joint_punishments_decision_idx" ON "joint_punishments" USING btree ("uscc","document_number");