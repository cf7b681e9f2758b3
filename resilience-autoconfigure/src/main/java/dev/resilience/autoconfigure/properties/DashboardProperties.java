package dev.resilience.autoconfigure.properties;

/** {@code resilience.dashboard.*}. */
public class DashboardProperties {

    /**
     * Whether the live dashboard page is served at the resilience endpoint's path + /dashboard while the endpoint
     * is exposed over HTTP (default: true).
     */
    private boolean enabled = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
