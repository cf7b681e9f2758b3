package dev.resilience.sample.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The users of the sample, from {@code sample.security.users} in application.yml. */
@ConfigurationProperties("sample.security")
public class SampleUsers {

    /** Users who may sign in with HTTP basic. */
    private List<User> users = new ArrayList<>();

    public List<User> getUsers() {
        return users;
    }

    public void setUsers(List<User> users) {
        this.users = users;
    }

    /** One user. */
    public static class User {

        /** The user name. */
        private String name;

        /** The password, with its encoding prefix, e.g. {noop}secret. */
        private String password;

        /** Roles, e.g. ADMIN. */
        private List<String> roles = new ArrayList<>();

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public List<String> getRoles() {
            return roles;
        }

        public void setRoles(List<String> roles) {
            this.roles = roles;
        }
    }
}
