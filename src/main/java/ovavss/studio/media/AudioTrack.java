package ovavss.studio.media;

import ovavss.studio.pcm.PcmSource;

/** The decoded audio stream of a media source, time-aligned so that sample 0 is at time 0 of the media. */
public interface AudioTrack extends PcmSource {
}
