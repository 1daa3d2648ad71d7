package org.huisclos.registry;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/** Builds the embedded Hazelcast member every Huisclos process runs. */
public final class Hazelcasts {
    private Hazelcasts() {
    }

    /**
     * @param bindAddress the interface the member listens on (a private network in production)
     * @param port        the first port tried
     * @param members     host:port of members to join; empty for a standalone member
     */
    public static HazelcastInstance start(String clusterName, String bindAddress, int port, List<String> members) {
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("hazelcast.logging.type", "jdk");
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Notice a dead member (a media node killed with -9) within seconds, not the default minute.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(true);
        network.getInterfaces().setEnabled(true).addInterface(bindAddress);
        config.setProperty("hazelcast.socket.bind.any", "false");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(!members.isEmpty()).setMembers(members);
        for (String map : List.of(RoomRegistry.ROOMS, RoomRegistry.NODES, ClusterSecrets.MAP)) {
            config.addMapConfig(new MapConfig(map).setBackupCount(1));
        }
        // What the Vert.x cluster manager keeps in Hazelcast (its default-cluster.xml says the same).
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        // The Vert.x cluster manager finds its node id here when it is handed a running member.
        config.getMemberAttributeConfig().setAttribute("__vertx.nodeId", java.util.UUID.randomUUID().toString());
        return Hazelcast.newHazelcastInstance(config);
    }
}
