ALTER TABLE "licences" ALTER COLUMN "created_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "licences" ALTER COLUMN "updated_at" DROP DEFAULT;