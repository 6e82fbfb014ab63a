// How many steps the fact readers follow a value (a const, a spread, a class field, a base class) before giving up.
export const MAX_FOLLOW = 4;
