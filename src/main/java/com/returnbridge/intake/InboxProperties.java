package com.returnbridge.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The intake's inbox. {@code groupCommitWindow}: how long the first delivery of a group waits for others to share its
 * commit (deliveries that arrive while a commit is being flushed share the next one anyway; zero waits for none).
 * {@code groupCommitMax}: most deliveries in one commit. {@code routerBatch}: most inbox rows the router handles in
 * one transaction. {@code routerThreads}: how many transactions route at once (rows about one subject, such as one
 * Loop return, always in one of them, in arrival order). {@code routerPoll}: how often the router looks for rows it was not told about (another instance
 * answered them and died before routing them). {@code inboxRetention}: how long a routed delivery is kept after
 * its return last changed.
 */
@ConfigurationProperties("returnbridge.intake")
public record InboxProperties(
        @DefaultValue("PT0.001S") Duration groupCommitWindow,
        @DefaultValue("256") int groupCommitMax,
        @DefaultValue("100") int routerBatch,
        @DefaultValue("4") int routerThreads,
        @DefaultValue("PT1S") Duration routerPoll,
        @DefaultValue("P30D") Duration inboxRetention) {
}
