/**
 * Shared value types and the few cross-cutting events and errors every module may use: not-found and
 * forbidden answers, input errors naming a field, and the change and mail events that the audit and
 * notify modules listen to. No behaviour and no dependencies.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.openpayer.shared;
