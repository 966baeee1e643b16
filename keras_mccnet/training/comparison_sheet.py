"""Comparison sheets: input | output | target | error map, side by side, one PNG per scene."""

from __future__ import annotations

import cv2
import numpy as np

ERROR_GAIN = 4.0  # |output - target| x 4, so a 0.25 error saturates the colour map


def error_map(output: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Mean absolute error over channels, amplified and colour-mapped (RGB float [0, 1])."""
    err = np.clip(np.abs(output - target).mean(axis=-1) * ERROR_GAIN, 0.0, 1.0)
    bgr = cv2.applyColorMap((err * 255 + 0.5).astype(np.uint8), cv2.COLORMAP_INFERNO)
    return bgr[:, :, ::-1].astype(np.float32) / 255.0


def comparison_sheet(panels: list[tuple[str, np.ndarray]], max_panel_width: int = 480,
                     gap: int = 6) -> np.ndarray:
    """Panels (label, HxWx3 float [0, 1]) resized to a common width, labelled, in one row."""
    h, w = panels[0][1].shape[:2]
    scale = min(1.0, max_panel_width / w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    tiles = []
    for label, image in panels:
        tile = cv2.resize(np.clip(image, 0, 1).astype(np.float32), size,
                          interpolation=cv2.INTER_AREA)
        tile = np.ascontiguousarray((tile * 255 + 0.5).astype(np.uint8))  # putText needs 8-bit
        cv2.rectangle(tile, (0, 0), (min(size[0], 10 + 9 * len(label)), 20), (0, 0, 0), -1)
        cv2.putText(tile, label, (4, 15), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1,
                    cv2.LINE_AA)
        tiles.append(tile)
        tiles.append(np.full((size[1], gap, 3), 255, np.uint8))
    return np.concatenate(tiles[:-1], axis=1).astype(np.float32) / 255.0


def defocus_panels(disparity, truth=None) -> list[tuple[str, np.ndarray]]:
    """The predicted defocus map (and the true one when known) as sheet panels, on one colour
    scale (red behind the focal plane, blue in front); none when `disparity` is None."""
    if disparity is None:
        return []
    from keras_mccnet.data.preview import blur_colormap
    from keras_mccnet.defocus_map import colour_limit

    limit = colour_limit(disparity if truth is None else truth)
    panels = [(f"defocus +-{limit:.2g} px", blur_colormap(disparity, limit))]
    if truth is not None:
        mae = float(np.mean(np.abs(disparity - truth)))
        panels.append((f"true defocus (MAE {mae:.2f} px)", blur_colormap(truth, limit)))
    return panels


def scene_sheet(input_image, output, target, output_label="output", extra_panels=()):
    return comparison_sheet([("input C", input_image), (output_label, output), ("target", target),
                             (f"|error| x{ERROR_GAIN:g}", error_map(output, target)),
                             *extra_panels])
