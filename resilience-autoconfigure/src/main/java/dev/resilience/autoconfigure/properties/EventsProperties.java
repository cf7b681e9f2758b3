package dev.resilience.autoconfigure.properties;

/** {@code resilience.events.*}. */
public class EventsProperties {

    /** How many recent events (transitions, rejections, retries, fallbacks) the endpoint keeps (default: 100). */
    private int bufferSize = 100;

    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }
}
