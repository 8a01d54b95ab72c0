/**
 * Stored per site (../storage.ts): "1" once the visitor gave an email (or came from one), "0"
 * once they declined the ask; either way the widget does not ask again by itself.
 */
export const GIVEN = "parley.email";
