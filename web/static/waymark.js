// Waymark's scripts. Every page works without them; they only make some controls quicker to use.
import { initAll } from '/static/vendor/govuk-frontend.min.js'

initAll()

// Long lists (countries, languages) become type-ahead pickers. The select stays in the form and
// holds the answer. On leaving the field the select follows what the field shows: a name from the
// list chooses it, an emptied field clears it, and any other text clears it rather than keeping an
// old choice the worker can no longer see.
if (window.accessibleAutocomplete) {
  for (const select of document.querySelectorAll('select[data-wm-autocomplete]')) {
    const id = select.id
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: '',
      showAllValues: true,
      onConfirm: (name) => {
        const input = document.getElementById(id)
        const text = (name ?? (input ? input.value : '')).trim().toLowerCase()
        const chosen = [...select.options].find((o) => o.value !== '' && o.textContent.toLowerCase() === text)
        select.value = chosen ? chosen.value : ''
      }
    })
  }
}
