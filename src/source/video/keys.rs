//! Whether a packet is a picture that decoding can start from. The container's
//! keyframe flag speaks for the main picture only: WebM keeps a VP8/VP9 picture's
//! alpha as a second stream in each block's BlockAdditional, with keyframes of its
//! own, and an encoder may place them elsewhere. Seeking to a picture whose alpha is
//! not a keyframe decodes blocky alpha, so such a packet is no seek point.

use crate::av::ff;
use ff::codec::packet::side_data::Type;

/// The BlockAddID of WebM's alpha channel.
const ALPHA: u64 = 1;

/// Whether decoding can start at `packet` of a `codec` stream.
pub fn starts_clean(packet: &ff::Packet, codec: ff::codec::Id) -> bool {
    packet.is_key()
        && packet
            .side_data()
            .filter(|d| d.kind() == Type::MatroskaBlockAdditional)
            .all(|d| additional_starts_clean(d.data(), codec))
}

/// FFmpeg hands a BlockAdditional over as its 8-byte big-endian BlockAddID, then
/// the data; only alpha is understood, anything else does not matter for seeking.
fn additional_starts_clean(data: &[u8], codec: ff::codec::Id) -> bool {
    let Some((id, picture)) = data.split_first_chunk::<8>() else {
        return true;
    };
    u64::from_be_bytes(*id) != ALPHA || is_keyframe(codec, picture) != Some(false)
}

/// Whether a VP8 or VP9 picture is a keyframe, from the first bits of its header
/// (VP8: RFC 6386 §9.1; VP9: the uncompressed header). `None` when it cannot tell.
pub fn is_keyframe(codec: ff::codec::Id, picture: &[u8]) -> Option<bool> {
    let b = *picture.first()?;
    match codec {
        // The frame tag's lowest bit is 0 for a keyframe.
        ff::codec::Id::VP8 => Some(b & 1 == 0),
        ff::codec::Id::VP9 => {
            // frame_marker (2 bits, 0b10), profile_low_bit, profile_high_bit, a
            // reserved zero in profile 3, show_existing_frame, frame_type (0: key).
            if b >> 6 != 0b10 {
                return None;
            }
            let profile = ((b >> 5) & 1) | (((b >> 4) & 1) << 1);
            let next = if profile == 3 { 2 } else { 3 };
            let show_existing = (b >> next) & 1 == 1;
            let frame_type = (b >> (next - 1)) & 1;
            Some(!show_existing && frame_type == 0)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ff::codec::Id;

    #[test]
    fn vp8_and_vp9_keyframes_are_read_from_the_header() {
        assert_eq!(is_keyframe(Id::VP8, &[0x50, 0x42, 0x00]), Some(true));
        assert_eq!(is_keyframe(Id::VP8, &[0x51, 0x42, 0x00]), Some(false));
        // VP9 profile 0: 10 0 0 | show_existing 0 | frame_type 0 (key) or 1.
        assert_eq!(is_keyframe(Id::VP9, &[0b1000_0010]), Some(true));
        assert_eq!(is_keyframe(Id::VP9, &[0b1000_0110]), Some(false));
        // show_existing_frame: a repeated picture, not a keyframe.
        assert_eq!(is_keyframe(Id::VP9, &[0b1000_1000]), Some(false));
        // Profile 3 has a reserved bit before show_existing_frame.
        assert_eq!(is_keyframe(Id::VP9, &[0b1011_0000]), Some(true));
        assert_eq!(is_keyframe(Id::VP9, &[0b1011_0010]), Some(false));
        assert_eq!(is_keyframe(Id::VP9, &[0x00]), None, "no frame marker");
        assert_eq!(is_keyframe(Id::H264, &[0x00]), None);
        assert_eq!(is_keyframe(Id::VP8, &[]), None);
    }

    #[test]
    fn only_an_alpha_that_is_not_a_keyframe_spoils_a_seek_point() {
        let with_id = |id: u64, picture: &[u8]| {
            let mut v = id.to_be_bytes().to_vec();
            v.extend_from_slice(picture);
            v
        };
        assert!(additional_starts_clean(&with_id(1, &[0x50]), Id::VP8));
        assert!(!additional_starts_clean(&with_id(1, &[0x51]), Id::VP8));
        assert!(additional_starts_clean(&with_id(2, &[0x51]), Id::VP8));
        assert!(
            additional_starts_clean(&[1, 2], Id::VP8),
            "too short to say"
        );
    }
}
