// Asks for confirmation before submitting forms marked with data-confirm.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// Narrows a select marked data-follows="otherSelectId" to the options whose data-seller matches the other select's value.
function narrowFollowers() {
  document.querySelectorAll('select[data-follows]').forEach(function (select) {
    var leader = document.getElementById(select.getAttribute('data-follows'));
    if (!leader) {
      return;
    }
    Array.prototype.forEach.call(select.options, function (option) {
      var owner = option.getAttribute('data-seller');
      var hidden = owner !== null && leader.value !== '' && owner !== leader.value;
      option.hidden = hidden;
      option.disabled = hidden;
      if (hidden && option.selected) {
        select.value = '';
      }
    });
  });
}
document.addEventListener('change', function (event) {
  if (event.target.matches && event.target.matches('select')) {
    narrowFollowers();
  }
});
document.addEventListener('DOMContentLoaded', narrowFollowers);

// On the "Add account" form, shows only the fields of the chosen connection type.
function showConnectionFields() {
  var form = document.getElementById('account-form');
  if (!form) {
    return;
  }
  var checked = form.querySelector('input[name=connectionType]:checked');
  var type = checked ? checked.value : 'INVITE';
  form.querySelectorAll('[data-connection]').forEach(function (element) {
    element.hidden = element.getAttribute('data-connection').split(' ').indexOf(type) < 0;
  });
}
document.addEventListener('change', function (event) {
  if (event.target && event.target.name === 'connectionType') {
    showConnectionFields();
  }
});
document.addEventListener('DOMContentLoaded', showConnectionFields);

// Brings the first field a refused form marks as invalid into view, so that an error far down a long page is seen.
document.addEventListener('DOMContentLoaded', function () {
  var invalid = document.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea');
  if (invalid && !window.location.hash) {
    invalid.focus();
  }
});
