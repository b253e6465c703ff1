/**
 * The console's frame and the HTTP edge: security (form login for the console, bearer tokens and HTTP
 * Basic for the API), the signed-in viewer for controllers, RFC 9457 problem details, error pages,
 * the layout and the home page. Uses the other modules; none uses it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web")
package dev.openpayer.web;
