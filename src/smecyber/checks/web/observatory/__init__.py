"""A reimplementation of the MDN HTTP Observatory's header grade (npm 1.4.8, algorithm version 4).

``model`` holds what the analyser reads, ``analyzer.analyze`` runs its tests, ``modifiers.yaml`` holds its
score modifiers. The network part (which requests the Observatory makes) lives in ``..retrieval``.
"""
