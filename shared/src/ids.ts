/** Ids are UUIDs; v7 where creation order helps (keyset paging, index locality). */
import { v7 as uuidv7, validate as isUuid } from 'uuid';

export const newId = (): string => uuidv7();
export { isUuid };
