/** The DOM id of a prediction option (the combobox's aria-activedescendant points at it). */
export const optionId = (listId: string, index: number) => `${listId}-opt-${index}`;
