package dev.resilience.sample.notifications;

/**
 * A message to a user. Its {@code id} is made once, when the user's request is accepted, and travels with every
 * attempt to deliver it, so the mail service can tell a repeated delivery from a new message.
 *
 * @param id the message's own id, the mail service's de-duplication key
 * @param to the recipient
 * @param text the message
 */
public record Notification(String id, String to, String text) {
}
