// Date and time inputs for the CMS that keep the wall clock. An event's times are local times
// in its own zone (content/events/*.md: start = 2027-01-05T15:15:00). Decap's own datetime
// widget either moves them to the editor's zone or, with picker_utc, labels them "UTC"; these
// store exactly the digits typed, and say whose clock they are ("Europe/London time").
// Registered by nextup-cms.js (made by render/admin.py); window.h and window.createClass are
// Decap's React, which it provides for custom widgets.

// "2027-01-05T15:15:00" <-> the input's "2027-01-05T15:15". A whole date (an exdate can be a
// day) keeps a date input, so that editing it never turns it into midnight.
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function inputValue(value, withTime) {
  const text = typeof value === 'string' ? value : '';
  if (!withTime || DATE_ONLY.test(text)) return text.slice(0, 10);
  return text.slice(0, 16);
}

export function storedValue(input, withTime) {
  if (!input) return '';
  if (!withTime || DATE_ONLY.test(input)) return input.slice(0, 10);
  return `${input.slice(0, 16)}:00`;
}

function wallClockControl(withTime) {
  return window.createClass({
    handleChange(event) {
      this.props.onChange(storedValue(event.target.value, withTime));
    },
    render() {
      const { forID, value, classNameWrapper, setActiveStyle, setInactiveStyle, entry } = this.props;
      const text = inputValue(value, withTime);
      const dateOnly = !withTime || DATE_ONLY.test(text);
      const zone = entry && entry.getIn && entry.getIn(['data', 'timezone']);
      return window.h('div', { className: classNameWrapper, style: { display: 'flex', gap: '1em', alignItems: 'center' } },
        window.h('input', {
          id: forID, type: dateOnly ? 'date' : 'datetime-local', value: text, step: 60,
          onChange: this.handleChange, onFocus: setActiveStyle, onBlur: setInactiveStyle,
          style: { border: 0, font: 'inherit', background: 'transparent' },
        }),
        zone && !dateOnly ? window.h('span', { 'data-zone': zone }, `${zone} time`) : null);
    },
  });
}

export function registerWallClockWidgets(CMS) {
  CMS.registerWidget('nextup-datetime', wallClockControl(true));
  CMS.registerWidget('nextup-date', wallClockControl(false));
}
