// The production calendar Otklik ships (src/Otklik.Core/Calendar/calendar-ru.json) against an
// independent list of Russian public holidays (date-holidays): every public holiday that falls on
// a weekday must be a day off, and no listed day off may be a weekend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Holidays from 'date-holidays';

const calendar = JSON.parse(readFileSync(new URL('../../src/Otklik.Core/Calendar/calendar-ru.json', import.meta.url)));
const holidays = new Holidays('RU');

for (const [year, facts] of Object.entries(calendar.years)) {
  const off = new Set(facts.weekday_days_off);
  test(`${year}: every weekday public holiday of date-holidays is a day off`, () => {
    const weekdayHolidays = holidays.getHolidays(Number(year))
      .filter(h => h.type === 'public')
      .map(h => h.date.slice(0, 10))
      .filter(d => { const w = new Date(d + 'T12:00:00Z').getUTCDay(); return w !== 0 && w !== 6; });
    assert.ok(weekdayHolidays.length >= 5, `date-holidays knows too few holidays for ${year}`);
    for (const d of weekdayHolidays) assert.ok(off.has(d), `${d} is a public holiday but not a day off in calendar-ru.json`);
  });
  test(`${year}: weekday_days_off are weekdays and weekend_working_days are weekends`, () => {
    for (const d of facts.weekday_days_off) {
      const w = new Date(d + 'T12:00:00Z').getUTCDay();
      assert.ok(w !== 0 && w !== 6, `${d} is listed as a weekday day off but is a weekend`);
    }
    for (const d of facts.weekend_working_days) {
      const w = new Date(d + 'T12:00:00Z').getUTCDay();
      assert.ok(w === 0 || w === 6, `${d} is listed as a working weekend day but is a weekday`);
    }
  });
  test(`${year}: the declared working-day total matches the dates`, () => {
    let count = 0;
    const working = new Set(facts.weekend_working_days);
    for (let d = new Date(Date.UTC(Number(year), 0, 1)); d.getUTCFullYear() === Number(year); d.setUTCDate(d.getUTCDate() + 1)) {
      const iso = d.toISOString().slice(0, 10);
      const w = d.getUTCDay();
      if (working.has(iso) || (w !== 0 && w !== 6 && !off.has(iso))) count++;
    }
    assert.equal(count, facts.working_days);
  });
}
