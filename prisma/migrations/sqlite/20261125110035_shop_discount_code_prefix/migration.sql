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
    "returnPointsOnRewardExpiry" BOOLEAN NOT NULL DEFAULT false,
    "discountCodePrefix" TEXT NOT NULL DEFAULT 'PW',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("createdAt", "currencyCode", "domain", "expiryMonths", "expiryPolicy", "id", "installedAt", "name", "returnPointsOnRewardExpiry", "tierBasis", "uninstalledAt", "updatedAt") SELECT "createdAt", "currencyCode", "domain", "expiryMonths", "expiryPolicy", "id", "installedAt", "name", "returnPointsOnRewardExpiry", "tierBasis", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
