"""Check MAE-DET Studio's PyTorch export with real torch (not run in CI: it needs torch).

    MAEDET_PYTORCH_FIXTURES=/tmp/maedet-fixtures npx vitest run tests/engine/pytorch.test.ts
    python3 tests/python/check_pytorch_export.py /tmp/maedet-fixtures \\
        [--reference LIGHTNAS_REPO/tinynas/deploy/cnnnet]

For each exported structure (the spec's seven networks and one using every block class), with
and without the classification head:
  * build_backbone().state_dict() has the keys, order and shapes stateDictShapes promised;
  * random weights of those shapes load with strict=True, also wrapped as an mmdetection
    checkpoint (backbone.body.* beside other keys);
  * forward returns C2-C5 with the promised channels and strides (or logits);
  * with --reference, the authors' deploy CnnNet built from the same structure has the same
    state_dict and, given the same weights, the same outputs.
"""
import argparse
import copy
import importlib
import json
import math
import sys
from pathlib import Path

import torch

SIDE = 64
BATCH = 2


def random_state_dict(entries, generator):
    """Tensors of the promised shapes; BN variances positive so eval-mode outputs stay finite."""
    state = {}
    for entry in entries:
        key, shape = entry['key'], entry['shape']
        if key.endswith('num_batches_tracked'):
            state[key] = torch.tensor(0)
        elif key.endswith('running_var'):
            state[key] = torch.rand(shape, generator=generator) + 0.5
        else:
            fan_in = max(1, math.prod(shape[1:]))
            state[key] = torch.randn(shape, generator=generator) / math.sqrt(fan_in)
    return state


def load_reference(path):
    """The authors' deploy CnnNet class, imported from tinynas/deploy/cnnnet."""
    sys.path.insert(0, str(path))
    from modules import blocks_basic
    # The reference's inner-block files call get_activation without importing it, so an 'act'
    # key on a super block raises NameError there; lend them the one blocks_basic defines.
    for name in ('super_res_k1kxk1', 'super_res_kxkx', 'super_res_k1kx', 'super_res_k1dwk1'):
        importlib.import_module(f'modules.{name}').get_activation = blocks_basic.get_activation
    from cnnnet import CnnNet
    return CnnNet


def as_list(output):
    return output if isinstance(output, list) else [output]


def check(fixture, head, reference_class):
    """Raise AssertionError on the first broken promise of one exported module."""
    module = importlib.import_module(fixture['name'] + ('_head' if head else ''))
    entries = head['state_dict'] if head else fixture['state_dict']
    model = module.build_backbone().eval()
    keys_and_shapes = [(key, list(value.shape)) for key, value in model.state_dict().items()]
    assert keys_and_shapes == [(e['key'], e['shape']) for e in entries], 'state_dict differs'

    generator = torch.Generator().manual_seed(0)
    state = random_state_dict(entries, generator)
    detector = {'backbone.body.' + key: value for key, value in state.items()}
    detector['neck.fpn_convs.0.conv.weight'] = torch.zeros(1)
    model.load_state_dict(module.backbone_state_dict({'state_dict': detector}), strict=True)

    images = torch.randn(BATCH, module.IN_CHANNELS, SIDE, SIDE, generator=generator)
    with torch.no_grad():
        outputs = as_list(model(images))
    if head:
        expected = [(BATCH, head['classes'])]
    else:
        expected = [(BATCH, f['num_chs'], SIDE // f['reduction'], SIDE // f['reduction'])
                    for f in fixture['features']]
    assert [tuple(o.shape) for o in outputs] == expected, 'output shapes differ'

    if reference_class is None:
        return
    reference = reference_class(structure_info=copy.deepcopy(fixture['structure']),
                                classfication=head is not None,
                                num_classes=head['classes'] if head else None).eval()
    reference_keys = [(key, list(value.shape)) for key, value in reference.state_dict().items()]
    assert reference_keys == keys_and_shapes, 'state_dict differs from the reference'
    reference.load_state_dict(state, strict=True)
    with torch.no_grad():
        reference_outputs = as_list(reference(images))
    assert len(reference_outputs) == len(outputs), 'the reference returns another number of outputs'
    for ours, theirs in zip(outputs, reference_outputs):
        assert torch.allclose(ours, theirs, rtol=1e-4, atol=1e-5), 'outputs differ from the reference'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('fixtures', type=Path, help='the directory the vitest run wrote')
    parser.add_argument('--reference', type=Path, help='tinynas/deploy/cnnnet of the authors\' repository')
    args = parser.parse_args()
    sys.path.insert(0, str(args.fixtures))
    reference_class = load_reference(args.reference) if args.reference else None

    failures = 0
    for path in sorted(args.fixtures.glob('*.json')):
        fixture = json.loads(path.read_text())
        for head in (None, fixture['head']):
            label = fixture['name'] + (' with head' if head else '')
            try:
                check(fixture, head, reference_class)
                print(f'ok    {label}')
            except AssertionError as error:
                failures += 1
                print(f'FAIL  {label}: {error}')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
