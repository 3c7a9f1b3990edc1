//! The geometry of a guide's flow chart (办理流程图): one box per step, top to bottom,
//! joined by arrows, in SVG units (the picture scales to the screen's width). The app
//! and the server's pre-rendered guide draw the same picture from it.

/// The chart's width.
pub const WIDTH: u32 = 320;
/// A box's height.
pub const BOX_H: u32 = 56;
/// The room between two boxes, where the arrow runs.
pub const GAP: u32 = 28;

/// One step's box: its top, the baselines of its two lines of text, and the arrow to
/// the next step (none after the last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowBox {
    pub y: u32,
    pub name_y: u32,
    pub sub_y: u32,
    pub arrow: Option<Arrow>,
}

/// An arrow down the middle: its line from `y1` to `y2` and its head's three points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrow {
    pub x: u32,
    pub y1: u32,
    pub y2: u32,
}

impl Arrow {
    /// The `points` of the arrow's head, a triangle ending at `y2`.
    pub fn head(self) -> String {
        let Arrow { x, y2, .. } = self;
        format!("{},{} {},{} {},{}", x - 6, y2 - 8, x + 6, y2 - 8, x, y2)
    }
}

/// The chart's height for `n` steps.
pub fn height(n: usize) -> u32 {
    let n = n as u32;
    n * BOX_H + n.saturating_sub(1) * GAP + 4
}

/// The boxes of `n` steps.
pub fn boxes(n: usize) -> Vec<FlowBox> {
    (0..n)
        .map(|k| {
            let y = 2 + k as u32 * (BOX_H + GAP);
            FlowBox {
                y,
                name_y: y + 24,
                sub_y: y + 44,
                arrow: (k + 1 < n).then_some(Arrow {
                    x: WIDTH / 2,
                    y1: y + BOX_H,
                    y2: y + BOX_H + GAP,
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_stack_with_arrows_between() {
        let b = boxes(3);
        assert_eq!(b.len(), 3);
        assert_eq!(b[1].y, b[0].y + BOX_H + GAP);
        assert_eq!(
            b[0].arrow.map(|a| (a.y1, a.y2)),
            Some((b[0].y + BOX_H, b[1].y))
        );
        assert!(b[2].arrow.is_none());
        assert_eq!(height(3), b[2].y + BOX_H + 2);
        assert_eq!(height(0), 4);
    }
}
