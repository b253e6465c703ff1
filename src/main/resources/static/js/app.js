// Asks for confirmation before submitting forms marked with data-confirm.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

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
