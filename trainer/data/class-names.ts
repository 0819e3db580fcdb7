// Class names in label order, as the datasets' authors publish them.

export const fashionMnistClassNames: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export const mnistClassNames: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const cifar10ClassNames: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

// CIFAR-100 fine labels are numbered in alphabetical order of these names.
export const cifar100ClassNames: readonly string[] = (
  'apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly ' +
  'camel can castle caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup ' +
  'dinosaur dolphin elephant flatfish forest fox girl hamster house kangaroo keyboard lamp lawn_mower ' +
  'leopard lion lizard lobster man maple_tree motorcycle mountain mouse mushroom oak_tree orange orchid ' +
  'otter palm_tree pear pickup_truck pine_tree plain plate poppy porcupine possum rabbit raccoon ray road ' +
  'rocket rose sea seal shark shrew skunk skyscraper snail snake spider squirrel streetcar sunflower ' +
  'sweet_pepper table tank telephone television tiger tractor train trout tulip turtle wardrobe whale ' +
  'willow_tree wolf woman worm'
).split(' ');

/** Names `0`…`K−1` for datasets that carry no names. */
export function numberedClassNames(numClasses: number): string[] {
  return Array.from({ length: numClasses }, (_, i) => String(i));
}
