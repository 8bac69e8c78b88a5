CREATE TABLE "code_refusals" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"department" text NOT NULL,
	"uscc" text NOT NULL,
	"reason" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"refused_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "code_refusals_uscc_idx" ON "code_refusals" USING btree ("uscc");