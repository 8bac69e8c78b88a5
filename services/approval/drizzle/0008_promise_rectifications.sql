CREATE TABLE "promise_rectifications" (
	"finding_id" text PRIMARY KEY NOT NULL,
	"promise_id" uuid NOT NULL,
	"rectified" boolean,
	"rechecked_on" date
);
--> statement-breakpoint
ALTER TABLE "promises" ADD COLUMN "rectify_by" date;--> statement-breakpoint
CREATE INDEX "promise_rectifications_promise_idx" ON "promise_rectifications" USING btree ("promise_id");