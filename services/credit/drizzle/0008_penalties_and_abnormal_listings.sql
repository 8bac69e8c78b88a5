CREATE TABLE "abnormal_listings" (
	"uscc" text NOT NULL,
	"cause" text NOT NULL,
	"listed_on" date NOT NULL,
	"department" text NOT NULL,
	"visit_id" text,
	"result_id" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "abnormal_listings_uscc_cause_listed_on_pk" PRIMARY KEY("uscc","cause","listed_on")
);
--> statement-breakpoint
CREATE TABLE "credit_penalties" (
	"decision_id" text PRIMARY KEY NOT NULL,
	"finding_id" text NOT NULL,
	"uscc" text NOT NULL,
	"home_department" text NOT NULL,
	"department" text NOT NULL,
	"kind" text NOT NULL,
	"amount_yuan" numeric(14, 2),
	"document_number" text NOT NULL,
	"decided_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "credit_penalties_uscc_idx" ON "credit_penalties" USING btree ("uscc","decided_on");--> statement-breakpoint
CREATE INDEX "credit_penalties_finding_idx" ON "credit_penalties" USING btree ("finding_id");