-- CreateTable
CREATE TABLE "EarningRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "category" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "pointsCenti" BIGINT NOT NULL DEFAULT 0,
    "pointsPerUnitCenti" BIGINT,
    "rounding" TEXT NOT NULL DEFAULT 'down',
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "approvalDays" INTEGER NOT NULL DEFAULT 0,
    "oncePerMember" BOOLEAN NOT NULL DEFAULT true,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "customerFacingLabel" TEXT,
    "callToActionUrl" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "EarningRule_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "discountType" TEXT NOT NULL,
    "pointsCostCenti" BIGINT,
    "discountAmountMinor" BIGINT,
    "discountPercentBp" INTEGER,
    "minimumSpendMinor" BIGINT,
    "expiryDays" INTEGER,
    "maxRedemptions" INTEGER,
    "vipTierId" TEXT,
    "freeProductVariantId" TEXT,
    "combinesWithOrder" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithProduct" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithShipping" BOOLEAN NOT NULL DEFAULT false,
    "isVariable" BOOLEAN NOT NULL DEFAULT false,
    "pointsPerUnitCenti" BIGINT,
    "minPointsCenti" BIGINT,
    "maxPointsCenti" BIGINT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "Reward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Reward_vipTierId_fkey" FOREIGN KEY ("vipTierId") REFERENCES "VipTier" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VipTier" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "threshold" BIGINT NOT NULL,
    "multiplierBp" INTEGER NOT NULL DEFAULT 10000,
    "badgeImageUrl" TEXT,
    "badgeColor" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "VipTier_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Lot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "ruleId" TEXT,
    "orderId" TEXT,
    "sourceKey" TEXT,
    "basePointsCenti" BIGINT NOT NULL,
    "multiplierBp" INTEGER NOT NULL DEFAULT 10000,
    "amountCenti" BIGINT NOT NULL,
    "remainingCenti" BIGINT NOT NULL,
    "reversedCenti" BIGINT NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "dueAt" DATETIME,
    "givenAt" DATETIME,
    "expiresAt" DATETIME,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Lot_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Lot_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Lot_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "EarningRule" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sequence" INTEGER NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "availableDeltaCenti" BIGINT NOT NULL DEFAULT 0,
    "pendingDeltaCenti" BIGINT NOT NULL DEFAULT 0,
    "lifetimeDeltaCenti" BIGINT NOT NULL DEFAULT 0,
    "redeemedDeltaCenti" BIGINT NOT NULL DEFAULT 0,
    "availableAfterCenti" BIGINT NOT NULL,
    "pendingAfterCenti" BIGINT NOT NULL,
    "lotId" TEXT,
    "customerRewardId" TEXT,
    "orderId" TEXT,
    "note" TEXT,
    "actor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LedgerEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LedgerEntry_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "Lot" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LotAllocation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lotId" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "customerRewardId" TEXT,
    "amountCenti" BIGINT NOT NULL,
    "restoredCenti" BIGINT NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LotAllocation_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "Lot" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LotAllocation_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LedgerEntry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CustomerReward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "rewardSnapshot" TEXT NOT NULL,
    "pointsSpentCenti" BIGINT NOT NULL,
    "valueMinor" BIGINT,
    "discountCode" TEXT,
    "shopifyDiscountId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "expiresAt" DATETIME,
    "usedAt" DATETIME,
    "refundedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CustomerReward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CustomerReward_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CustomerReward_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "orderNumber" TEXT,
    "currency" TEXT NOT NULL,
    "eligibleMinor" BIGINT NOT NULL,
    "refundedMinor" BIGINT NOT NULL DEFAULT 0,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Order_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "response" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IdempotencyRecord_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActivityLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "data" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ActivityLog_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT,
    "topic" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutboxEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "fromTierId" TEXT,
    "toTierId" TEXT,
    "direction" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TierChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TierChange_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "expiryPolicy" TEXT NOT NULL DEFAULT 'none',
    "expiryMonths" INTEGER,
    "tierBasis" TEXT NOT NULL DEFAULT 'lifetime_points',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("createdAt", "currencyCode", "domain", "id", "installedAt", "name", "uninstalledAt", "updatedAt") SELECT "createdAt", "currencyCode", "domain", "id", "installedAt", "name", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
CREATE TABLE "new_Customer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "email" TEXT,
    "emailNormalized" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "dateOfBirth" TEXT,
    "anniversaryDate" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "vipTierId" TEXT,
    "availableCenti" BIGINT NOT NULL DEFAULT 0,
    "pendingCenti" BIGINT NOT NULL DEFAULT 0,
    "lifetimeCenti" BIGINT NOT NULL DEFAULT 0,
    "redeemedCenti" BIGINT NOT NULL DEFAULT 0,
    "lifetimeSpendMinor" BIGINT NOT NULL DEFAULT 0,
    "lastActivityAt" DATETIME,
    "ledgerVersion" INTEGER NOT NULL DEFAULT 0,
    "entryCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Customer_vipTierId_fkey" FOREIGN KEY ("vipTierId") REFERENCES "VipTier" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Customer" ("createdAt", "email", "emailNormalized", "firstName", "id", "lastName", "shopId", "shopifyCustomerId", "updatedAt") SELECT "createdAt", "email", "emailNormalized", "firstName", "id", "lastName", "shopId", "shopifyCustomerId", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE INDEX "Customer_shopId_vipTierId_idx" ON "Customer"("shopId", "vipTierId");
CREATE UNIQUE INDEX "Customer_shopId_shopifyCustomerId_key" ON "Customer"("shopId", "shopifyCustomerId");
CREATE UNIQUE INDEX "Customer_shopId_emailNormalized_key" ON "Customer"("shopId", "emailNormalized");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "EarningRule_shopId_category_idx" ON "EarningRule"("shopId", "category");

-- CreateIndex
CREATE INDEX "Reward_shopId_isActive_idx" ON "Reward"("shopId", "isActive");

-- CreateIndex
CREATE INDEX "VipTier_shopId_threshold_idx" ON "VipTier"("shopId", "threshold");

-- CreateIndex
CREATE INDEX "Lot_memberId_status_expiresAt_idx" ON "Lot"("memberId", "status", "expiresAt");

-- CreateIndex
CREATE INDEX "Lot_shopId_status_dueAt_idx" ON "Lot"("shopId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Lot_shopId_status_expiresAt_idx" ON "Lot"("shopId", "status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Lot_memberId_sourceKey_key" ON "Lot"("memberId", "sourceKey");

-- CreateIndex
CREATE INDEX "LedgerEntry_memberId_createdAt_idx" ON "LedgerEntry"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_createdAt_idx" ON "LedgerEntry"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_memberId_sequence_key" ON "LedgerEntry"("memberId", "sequence");

-- CreateIndex
CREATE INDEX "LotAllocation_customerRewardId_idx" ON "LotAllocation"("customerRewardId");

-- CreateIndex
CREATE INDEX "LotAllocation_lotId_idx" ON "LotAllocation"("lotId");

-- CreateIndex
CREATE INDEX "CustomerReward_memberId_status_idx" ON "CustomerReward"("memberId", "status");

-- CreateIndex
CREATE INDEX "CustomerReward_memberId_rewardId_idx" ON "CustomerReward"("memberId", "rewardId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerReward_shopId_discountCode_key" ON "CustomerReward"("shopId", "discountCode");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shopId_shopifyOrderId_key" ON "Order"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_shopId_operation_key_key" ON "IdempotencyRecord"("shopId", "operation", "key");

-- CreateIndex
CREATE INDEX "ActivityLog_shopId_createdAt_idx" ON "ActivityLog"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "ActivityLog_memberId_createdAt_idx" ON "ActivityLog"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxEvent_status_availableAt_idx" ON "OutboxEvent"("status", "availableAt");

-- CreateIndex
CREATE INDEX "OutboxEvent_shopId_topic_idx" ON "OutboxEvent"("shopId", "topic");

-- CreateIndex
CREATE INDEX "TierChange_memberId_createdAt_idx" ON "TierChange"("memberId", "createdAt");
