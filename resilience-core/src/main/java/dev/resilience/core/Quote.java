package dev.resilience.core;

/**
 * Shows a value that a user supplied (a property value or name, a request's field) in a message, cut to
 * {@value #MAX_LENGTH} characters so that a huge value cannot make a huge message or error reply. Every message
 * that quotes such a value goes through here, so that they all cut it the same way:
 * <pre>{@code
 * Quote.quoted("150")              // '150'
 * Quote.quoted("x".repeat(1 << 20)) // 'xxxx… (1048576 characters)', with the first 100 x
 * }</pre>
 */
public final class Quote {

    /** The most characters of a value that a message shows. */
    public static final int MAX_LENGTH = 100;

    private Quote() {
    }

    /** The value in single quotes, shortened as {@link #shortened(Object)} does. */
    public static String quoted(Object value) {
        return "'" + shortened(value) + "'";
    }

    /**
     * The value's text, or, when it is longer than {@value #MAX_LENGTH} characters, its first
     * {@value #MAX_LENGTH}, an ellipsis and its length, e.g. {@code xxxx… (1048576 characters)}. For messages
     * that add their own quotes, such as Boot's {@code InvalidConfigurationPropertyValueException}.
     */
    public static String shortened(Object value) {
        String text = String.valueOf(value);
        if (text.length() <= MAX_LENGTH) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return text.substring(0, end) + "… (" + text.length() + " characters)";
    }
}
