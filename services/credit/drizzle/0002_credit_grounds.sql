-- The class's grounds as facts (rule and counts) instead of an English reason. Rows classed before
-- this migration get rule LEGACY (grounds not recorded) and zero counts until the next reclassification;
-- the defaults exist only to fill those rows and are dropped at once (the domain sets every value).
ALTER TABLE "credit_profiles" ADD COLUMN "rule" text DEFAULT 'LEGACY' NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_profiles" ADD COLUMN "findings" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_profiles" ADD COLUMN "serious" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_profiles" ADD COLUMN "penalties" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_profiles" ADD COLUMN "general" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_profiles" ADD COLUMN "lookback_months" integer;--> statement-breakpoint
ALTER TABLE "credit_profiles" ALTER COLUMN "rule" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "credit_profiles" ALTER COLUMN "findings" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "credit_profiles" ALTER COLUMN "serious" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "credit_profiles" ALTER COLUMN "penalties" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "credit_profiles" ALTER COLUMN "general" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "credit_profiles" DROP COLUMN "reason";
