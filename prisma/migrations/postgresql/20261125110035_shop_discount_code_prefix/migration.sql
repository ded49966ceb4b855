-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "discountCodePrefix" TEXT NOT NULL DEFAULT 'PW';
