// Anchors the shared precompiled header (see TorchPch.cmake).
