ALTER TABLE "credit_profiles" ALTER COLUMN "updated_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "credit_records" ALTER COLUMN "created_at" DROP DEFAULT;