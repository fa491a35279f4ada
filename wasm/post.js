// Appended to the module's JavaScript (--post-js). Embind checks how many arguments a bound
// function gets and throws a BindingError when the count is wrong, so module.call('cidr.parse')
// would throw instead of answering. Once the bindings exist (post-run), call and
// callWithAttachments are wrapped so that the binding always gets all its arguments: a missing
// one arrives as undefined and is answered as data (request.bad_argument), like any other bad one.
/* global addOnPostRun, Module -- the Emscripten module scope this file is appended into */
addOnPostRun(function () {
  var bound = Module['call'];
  var boundWithAttachments = Module['callWithAttachments'];
  Module['call'] = function (method, request) {
    return bound(method, request);
  };
  Module['callWithAttachments'] = function (method, request, attachments) {
    return boundWithAttachments(method, request, attachments);
  };
});
