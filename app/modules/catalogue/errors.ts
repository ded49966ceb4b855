import { LedgerError } from "~/modules/ledger/errors";

// The catalogue's typed errors. They extend the ledger's so that every API door maps them by their
// status in its one shared place (app/lib/api.server.ts).

/** Attributes that cannot go together on the resource as it would be after the write (400). */
export class CatalogueInputError extends LedgerError {
  readonly code = "invalid_attributes";
  readonly status = 400;
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
  }
}

export class CatalogueNotFoundError extends LedgerError {
  readonly code = "not_found";
  readonly status = 404;
  constructor(what: string, id: string) {
    super(`${what} ${id.slice(0, 64)} not found`);
  }
}

/** The write clashes with what is there (a tier's name or threshold taken, a tier still in use). */
export class CatalogueConflictError extends LedgerError {
  readonly code = "conflict";
  readonly status = 409;
}
