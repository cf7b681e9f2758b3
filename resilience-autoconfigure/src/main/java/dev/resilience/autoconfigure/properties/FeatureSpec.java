package dev.resilience.autoconfigure.properties;

/** The properties of one {@code @Degradable} feature. */
public class FeatureSpec {

    /** Whether the feature runs; false switches it off (default: true). */
    private Boolean enabled;

    /** Degradation level at and above which the feature is shed: minor, major, critical or never (default: never). */
    private String disableAt;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public String getDisableAt() {
        return disableAt;
    }

    public void setDisableAt(String disableAt) {
        this.disableAt = disableAt;
    }
}
