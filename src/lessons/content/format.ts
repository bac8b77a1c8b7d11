/** Number formats the lessons' effect texts share (the same digits in both languages). */

export const fixed = (value: number, digits: number): string => value.toFixed(digits);

/** 1234567 -> "1,234,567". */
export const count = (value: number): string => Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A difference in percentage points with its sign: "+0.42", "-1.30". */
export const points = (value: number): string => `${value > 0 ? '+' : ''}${value.toFixed(2)}`;

export const ratio = (value: number): string => `${value.toFixed(1)}×`;
