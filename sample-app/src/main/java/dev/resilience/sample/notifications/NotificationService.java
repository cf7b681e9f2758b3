package dev.resilience.sample.notifications;

import dev.resilience.annotation.RetryLater;
import dev.resilience.sample.simulation.DependencyClient;
import org.springframework.stereotype.Service;

/**
 * Sends notifications through the (simulated) mail service. A send that fails is stored in the application's
 * database and sent again later ({@code resilience.retry-later.instances.notifications} in {@code application.yml}),
 * across restarts of the application; the caller never waits for the mail service.
 */
@Service
public class NotificationService {

    private final DependencyClient client;

    public NotificationService(DependencyClient client) {
        this.client = client;
    }

    @RetryLater("notifications")
    public void send(Notification notification) {
        client.http().post().uri("/sim/mail/messages").body(notification).retrieve().toBodilessEntity();
    }
}
