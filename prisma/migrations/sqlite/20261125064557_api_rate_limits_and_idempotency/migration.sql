-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN "rateLimitBurst" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "rateLimitPerSecond" INTEGER;

-- CreateTable
CREATE TABLE "ApiRateLimit" (
    "keyId" TEXT NOT NULL PRIMARY KEY,
    "milliTokens" BIGINT NOT NULL,
    "updatedMs" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "ApiIdempotentRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER,
    "body" TEXT,
    "contentType" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "ApiIdempotentRequest_createdAt_idx" ON "ApiIdempotentRequest"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiIdempotentRequest_shopId_key_key" ON "ApiIdempotentRequest"("shopId", "key");
